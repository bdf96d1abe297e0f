"""Home: what Descent Lab is, who it is for, where to start, and the student's progress (kept in their
browser: views.widgets.progress_store)."""

import streamlit as st

from lab.outcome import escape_markdown
from lessons import LESSONS
from views.widgets.no_settings import ignore_address
from views.widgets.progress_store import keep_in_browser, progress, reset

MARKS = {"done": ":green[:material/check_circle:]", "not started": ":gray[:material/radio_button_unchecked:]"}
PARTLY = ":orange[:material/pending:]"

st.title("Descent Lab")
ignore_address("Home")
st.markdown(
    "**See what the learning rate does.** Descent Lab runs gradient descent and its relatives — momentum, "
    "Nesterov, Adagrad, RMSprop, Adam — on two-dimensional loss surfaces you can look at, so that every "
    "claim about the learning rate becomes an experiment: drag a slider and watch a path converge, "
    "zig-zag or blow up."
)

st.header("Who it is for")  # h2, the page's sections; the three audiences are h3 under it
students, instructors, self_learners = st.columns(3)
with students:
    st.subheader("Students")
    st.markdown(
        "Find out *why* a step size converges, oscillates or diverges: the thresholds 1/L and 2/L, "
        "ill-conditioned valleys, momentum, adaptive steps and schedules, on a live surface."
    )
with instructors:
    st.subheader("Instructors")
    st.markdown(
        "Every view lives in its link: share the address and every student opens the same setup, "
        "with the same surface, optimizer, learning rate and random seed."
    )
with self_learners:
    st.subheader("Self-learners")
    st.markdown(
        "Work at your own pace: change one thing at a time and predict the outcome before you press play."
    )

st.divider()
st.header("Where to start")
playground, lessons, classroom = st.columns(3)
with playground:
    st.page_link("views/playground.py", label="Playground", icon=":material/tune:")
    st.caption("Any surface, up to four optimizers racing from one start, a log-scale learning-rate slider, "
               "schedules, noise, and the update rule with today's numbers in it.")
with lessons:
    st.page_link("views/lesson_01.py", label=f"Lessons 1–{LESSONS[-1].number}", icon=":material/school:")
    st.page_link("views/claims.py", label="Claims lab", icon=":material/science:")
    st.caption("Guided pages with a task and a check question each; the Claims lab puts popular statements "
               "about the learning rate to the test.")
with classroom:
    st.page_link("views/present.py", label="Presenter", icon=":material/co_present:")
    st.caption("For the projector: large figures, scene-by-scene reveal with the arrow keys, and a QR code "
               "that puts the same setup on every student's screen.")

st.divider()
st.header("Your progress")
mine = progress()
st.caption(f"{sum(mine.done(lesson.number) for lesson in LESSONS)} of {len(LESSONS)} lessons done (task met and "
           "check question answered). Kept in this browser only: no account, and nothing is sent anywhere but "
           "to this app.")
with st.container(key="home-progress"):
    halves = (LESSONS[:(len(LESSONS) + 1) // 2], LESSONS[(len(LESSONS) + 1) // 2:])
    for column, half in zip(st.columns(2), halves, strict=True):
        column.markdown("  \n".join(
            f"{MARKS.get(mine.status(lesson.number), PARTLY)} {escape_markdown(f'{lesson.number}. {lesson.title}')}"
            f" — {mine.status(lesson.number)}" for lesson in half))
st.button("Reset my progress", key="home.reset", on_click=reset, icon=":material/restart_alt:",
          disabled=not mine.started)

st.divider()
st.markdown(
    "Under the pages: 14 classic test surfaces (and any f(x, y) you type), the optimizers of `torch.optim` "
    "with the same names, defaults and update rules, and its learning-rate schedules. Thousands of "
    "trajectories run at once, each labelled *converged*, *diverged*, *oscillating*, *stalled* or *still moving*, "
    "with what was measured (steps, contraction, amplitude, when it left the view and came back)."
)
st.caption("Descent Lab is open source. Runs are deterministic: the same link gives the same path.")
keep_in_browser()  # last: reads the browser's progress on a fresh session, writes it back
