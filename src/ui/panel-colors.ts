// One colour per panel (CSS hex), in panel order: labels, charts, controls,
// recordings and the network view all draw panel i in PANEL_COLORS[i % 8].
export const PANEL_COLORS = ['#ff9b4a', '#5ad1ff', '#ff6fb5', '#b8f15a', '#ffd84f', '#b79bff', '#50e3a4', '#ff6b6b'];
