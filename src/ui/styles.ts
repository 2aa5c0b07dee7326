// The page's form controls (buttons, selects, inputs), styled once and shared
// by every component. A component sets its own surface colours and padding
// through the custom properties below on :host (they differ by where the
// control sits: header, sidebar, dialog, chart strip).
import { css } from 'lit';

/**
 * --control-bg: background of selects and inputs (and buttons, unless --button-bg);
 * --button-bg, --button-hover: button background at rest and under the pointer;
 * --control-pad: padding of every control.
 */
export const controlStyles = css`
  select, button, input, textarea {
    font: inherit; color: #e6ebf3; background: var(--control-bg, #161b25);
    border: 1px solid #343c4c; border-radius: 4px; padding: var(--control-pad, 3px 8px);
  }
  button { cursor: pointer; background: var(--button-bg, var(--control-bg, #161b25)); }
  /* :where keeps the hover as weak as a plain element rule, so .primary and a component's own rules win */
  button:where(:hover:not([disabled])) { background: var(--button-hover, #222a38); }
  button[disabled] { opacity: 0.45; cursor: default; }
  button.primary, button.on { background: #2f5fd0; border-color: #3f6fe0; }
`;
