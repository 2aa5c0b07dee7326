// Page entry. `?headless` turns the page into the headless runner's engine
// (no UI; see src/headless/); otherwise the live lab mounts.
const params = new URLSearchParams(location.search);
if (params.has('headless')) {
  void import('./headless/entry').then((m) => m.installHeadless());
} else {
  void import('./ui/app').then((m) => m.mountApp(document.body));
}
