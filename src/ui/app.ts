// The live lab's entry (src/main.ts calls mountApp outside ?headless).
import './lab-app';

export function mountApp(root: HTMLElement): HTMLElement {
  const el = document.createElement('sgd-lab');
  root.replaceChildren(el);
  return el;
}
