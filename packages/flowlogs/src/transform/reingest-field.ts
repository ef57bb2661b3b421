/** Field of a re-ingested payload (subscription message or finding) that counts its re-ingestions. */
export const REINGEST_FIELD = 'flowlakeReingest';
