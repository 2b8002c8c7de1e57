import { authedRoute } from "@/lib/server/api/route";
import { requireProjectRole } from "@/lib/server/authz";
import { importDatasetFiles } from "@/lib/server/dataset-import/import-dataset";
import { readDatasetUpload } from "@/lib/server/dataset-import/upload";
import type { DatasetImportResult } from "@/lib/validation/dataset-import";

/**
 * 201 with {imported, refused} when any file was imported; otherwise the first refusal's status with the API error
 * shape plus the same {imported: [], refused} so clients read one shape.
 */
function importResponse(result: DatasetImportResult): Response {
  const [first] = result.refused;
  if (result.imported.length || !first) return Response.json(result, { status: 201 });
  const files = new Set(result.refused.map((entry) => entry.file.split(":")[0]));
  const message = files.size > 1 ? `None of the ${files.size} files could be imported. ${first.message}` : first.message;
  return Response.json({ error: { code: first.code, message, details: { refused: result.refused } }, ...result }, { status: first.status });
}

// POST /api/projects/[id]/import – import a Spanlight .jsonl export or a brat .zip (multipart `file` fields; reviewers and owners)
export const POST = authedRoute<{ id: string }>(async ({ request, params, user }) => {
  await requireProjectRole({ userId: user.id, projectId: params.id, minimumRole: "reviewer" });
  const upload = await readDatasetUpload(request);
  return importResponse(await importDatasetFiles({ userId: user.id, projectId: params.id, files: upload.files, rootLayer: upload.rootLayer }));
});
