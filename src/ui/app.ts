// The live lab's entry (src/main.ts): mounts <sgd-lab>; the test hook is installed beside it.
import './lab-app';
import type { SgdLab } from './lab-app';

export { installTestHook } from './test-hook';

export function mountApp(root: HTMLElement): SgdLab {
  const el = document.createElement('sgd-lab');
  root.replaceChildren(el);
  return el;
}
