/**
 * Training captions for the emoji images (issue 19): each image's name, short names and emojilib
 * keywords in a few templates, one drawn per image and step ({@link dev.aligntok.trainer.captions.CaptionSet#draw}),
 * and held-out phrasings for evaluation — keywords and templates that no training caption uses,
 * each labelled with the emoji class behind it. Built by {@link dev.aligntok.trainer.captions.EmojiCaptions}
 * from the cached emoji-datasource and emojilib packages; no DJL here. The frozen text encoder's
 * embeddings of the captions are computed once and cached in a file
 * ({@link dev.aligntok.trainer.captions.CaptionEmbeddings}); {@link dev.aligntok.trainer.captions.NovelPrompts}
 * are compositions no emoji shows, for sample grids.
 */
package dev.aligntok.trainer.captions;
