/** Images, fonts, stylesheets, scripts and media: page furniture, never evidence of what a person did. */
const STATIC_MIME =
  /^(image|font|audio|video)\/|^text\/css\b|javascript|ecmascript|^application\/(x-)?font|^application\/wasm\b|^application\/vnd\.ms-fontobject\b/i;
const STATIC_EXT = /\.(png|jpe?g|gif|svg|webp|avif|ico|bmp|tiff?|woff2?|ttf|otf|eot|css|m?js|cjs|map|mp4|webm|ogg|mp3|wav|m4a|flac|mov|wasm)$/i;

/** True when the request fetched a static asset, judged by the response mime type or the URL path's extension. */
export function isStaticAsset(url: string, mimeType: string | undefined): boolean {
  if (mimeType !== undefined && STATIC_MIME.test(mimeType.trim())) return true;
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url.split(/[?#]/)[0] ?? url;
  }
  return STATIC_EXT.test(path);
}
