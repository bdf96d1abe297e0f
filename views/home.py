"""Home: what Descent Lab is, who it is for, and where to start."""

import streamlit as st

st.title("Descent Lab")
st.markdown(
    "**See what the learning rate does.** Descent Lab runs gradient descent and its relatives — momentum, "
    "Nesterov, AdaGrad, RMSProp, Adam — on two-dimensional loss surfaces you can look at, so that every "
    "claim about the learning rate becomes an experiment: drag a slider and watch a path converge, "
    "zig-zag or blow up."
)

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
st.subheader("What is here")
st.markdown(
    "- **The engine**: 14 classic test surfaces (and any f(x, y) you type), the optimizers of `torch.optim` "
    "with the same names, defaults and update rules, and its learning-rate schedules. Thousands of "
    "trajectories run at once, each labelled *converged*, *diverged* or *still running*.\n"
    "- Pages appear in the navigation as they are finished; a page that is listed works."
)
st.caption("Descent Lab is open source. Runs are deterministic: the same link gives the same path.")
