// Page entry of the live lab (index.html): mounts <sgd-lab> and installs the
// test hook (window.__sgdLab, src/ui/test-hook.ts). The headless runner has
// its own page, headless.html -> src/headless/entry.ts.
void import('./ui/app').then((m) => m.installTestHook(m.mountApp(document.body)));
