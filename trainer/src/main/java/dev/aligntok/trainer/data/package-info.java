/**
 * Training data: fetching pinned sources into a cache ({@link dev.aligntok.trainer.data.DataFetcher},
 * {@link dev.aligntok.trainer.data.DataCache}), reading them as labelled samples
 * ({@link dev.aligntok.trainer.data.IdxDatasets}, {@link dev.aligntok.trainer.data.EmojiDataset},
 * {@link dev.aligntok.trainer.data.ImageFolderDataset}, or by name through
 * {@link dev.aligntok.trainer.data.DatasetCatalog}), seeded splits
 * ({@link dev.aligntok.trainer.data.Splits}) and float batches
 * ({@link dev.aligntok.trainer.data.BatchIterator}). No DJL here: batches are plain float arrays.
 * Images a reader cannot use are listed in a {@link dev.aligntok.trainer.data.SkippedImagesReport}.
 */
package dev.aligntok.trainer.data;
