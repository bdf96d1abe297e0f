// A button and a one-letter key that toggle the class "open-<target>" on <body> (hotkey_toggle.py); Escape
// removes it.  data: {label, target, hotkey}.  The key listener is replaced on every call and removed when
// the component goes, so there is never more than one.

const typing = (element) => element && (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName));

export default function ({ data, parentElement }) {
  const open = `open-${data.target}`;
  let button = parentElement.querySelector("button");
  if (!button) {
    button = document.createElement("button");
    button.type = "button";
    button.className = "hotkey-toggle";
    parentElement.appendChild(button);
    button.addEventListener("click", () => set(!document.body.classList.contains(button.dataset.open)));
  }
  button.dataset.open = open;
  button.innerHTML = "";
  button.append(data.label, Object.assign(document.createElement("kbd"), { textContent: data.hotkey.toUpperCase() }));
  button.setAttribute("aria-keyshortcuts", data.hotkey.toUpperCase());

  function set(shown) {
    document.body.classList.toggle(open, shown);
    button.setAttribute("aria-expanded", String(shown));
  }
  set(document.body.classList.contains(open));

  function onKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (event.key.toLowerCase() === data.hotkey) set(!document.body.classList.contains(open));
    else if (event.key === "Escape") set(false);
  }
  if (parentElement.onKey) document.removeEventListener("keydown", parentElement.onKey);
  parentElement.onKey = onKey;
  document.addEventListener("keydown", onKey);
  return () => document.removeEventListener("keydown", onKey);
}
