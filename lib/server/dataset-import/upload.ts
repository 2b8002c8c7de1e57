import "server-only";
import { AppError } from "@/lib/errors";
import { readBodyBytes } from "@/lib/server/api/request";
import { formatBytes } from "@/lib/validation/article-import";
import { bratRootLayers, maxDatasetFiles, maxDatasetRequestBytes, type BratRootLayer } from "@/lib/validation/dataset-import";

export interface DatasetUpload {
  files: File[];
  /** Where brat files outside a Spanlight layer folder go (form field `layer`: `mine`, the default, or `gold`). */
  rootLayer: BratRootLayer;
}

/**
 * Reads a multipart dataset upload: one or more `file` fields and the optional `layer` field. 413 over 50 MB or
 * for too many files (before or while reading, never holding more), 400 for a body that is not multipart or has no
 * file, 422 for an unknown layer.
 */
export async function readDatasetUpload(request: Request): Promise<DatasetUpload> {
  const body = await readBodyBytes(request, maxDatasetRequestBytes, `The upload is larger than ${formatBytes(maxDatasetRequestBytes)}. Split the dataset into several files and send them one by one.`);
  let form: FormData;
  try {
    form = await new Response(body, { headers: { "content-type": request.headers.get("content-type") ?? "" } }).formData();
  } catch {
    throw new AppError("bad_request", 'The upload is not valid multipart/form-data; send each .jsonl or .zip file in a field named "file".');
  }
  const entries = form.getAll("file");
  const files = entries.filter((entry): entry is File => entry instanceof File);
  if (!files.length || files.length !== entries.length) throw new AppError("bad_request", 'Send each .jsonl or .zip file in a multipart field named "file".');
  if (files.length > maxDatasetFiles) throw new AppError("payload_too_large", `The upload holds ${files.length} files; at most ${maxDatasetFiles} can be imported at once.`);
  const layer = form.get("layer");
  const rootLayer = typeof layer === "string" && layer.trim() ? layer.trim() : "mine";
  if (!(bratRootLayers as readonly string[]).includes(rootLayer)) {
    throw new AppError("validation_failed", `layer=${rootLayer} is not allowed: send layer=mine (your own layer, the default) or layer=gold for brat files outside layer folders.`);
  }
  return { files, rootLayer: rootLayer as BratRootLayer };
}
