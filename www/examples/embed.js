// The host page's side of the embed: it listens to the element's events
// (they bubble out of the shadow root) and, for the demo, lists them. A
// real help page might count them in its own analytics; `detail` carries
// ids only (action, outcome), never anything the merchant typed.
const log = document.querySelector('#host-events');
for (const name of ['posdoctor:step', 'posdoctor:resolved', 'posdoctor:contact']) {
  document.addEventListener(name, (event) => {
    if (!log) return;
    const item = document.createElement('li');
    item.textContent = `${name} ${JSON.stringify(event.detail)}`;
    log.append(item);
  });
}
