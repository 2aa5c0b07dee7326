// Video formats the lab writes and their codecs' limits, without the encoder
// itself (the CLI reads these in Node, where mediabunny is not loaded).

export type VideoFormat = 'mp4' | 'webm';

/** mediabunny codec names: H.264 in MP4, VP9 in WebM */
export const CODEC_OF = { mp4: 'avc', webm: 'vp9' } as const satisfies Record<VideoFormat, string>;
export const MIME_OF: Record<VideoFormat, string> = { mp4: 'video/mp4', webm: 'video/webm' };
/** Largest quantizer of each format's codec (H.264 QP, VP9 q index); lower is better quality. */
export const QUANTIZER_MAX: Record<VideoFormat, number> = { mp4: 51, webm: 63 };
