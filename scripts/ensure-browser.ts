// First step of `npm test`: make sure a WebGPU-capable browser exists.
import { ensureBrowser, BrowserNotFoundError } from '../src/cli/browser.ts';

try {
  const path = ensureBrowser((line) => console.log(`[sgd-lab] ${line}`));
  console.log(`[sgd-lab] browser for the GPU tests: ${path}`);
} catch (e) {
  if (e instanceof BrowserNotFoundError) {
    console.error(`sgd-lab: ${e.message}`);
    process.exit(1);
  }
  throw e;
}
