/**
 * The largest CRM export an upload may be (shared by the upload handler and the page). Exports of a
 * million deals are ~200 MB; anything far beyond is not a CRM export we can help with.
 */
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024
