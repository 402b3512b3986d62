/** The charts' width: the side panel's, less its padding (a fixed size needs no resize observer). */
export const CHART_WIDTH = 370;
