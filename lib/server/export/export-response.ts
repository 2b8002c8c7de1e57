import "server-only";
import { slugify, type ExportContext, type ExportFormat } from "@/lib/export/model";
import { exportBytes, formatFiles } from "@/lib/export/stream";
import { loadExportArticles } from "./load-articles";
import type { ExportPlan } from "./resolve-export";

/** The download's file name: project, layer, date and the format's extension (ASCII only). */
export function exportFileName(ctx: ExportContext, format: ExportFormat): string {
  const layer = ctx.layer.kind === "user" ? slugify(ctx.layer.user.name) : ctx.layer.kind;
  return `${slugify(ctx.project.name)}-${layer}-${ctx.exportedAt.slice(0, 10)}.${formatFiles[format].extension}`;
}

/**
 * The export as a streamed response: bytes are produced as the client reads (pull), a batch of articles at a time.
 * `X-Spanlight-Article-Count` tells a progress indicator how many articles are coming. An error after the first byte
 * can only abort the stream (the client sees a truncated download).
 */
export function exportResponse(plan: ExportPlan, format: ExportFormat): Response {
  const { ctx, articleIds } = plan;
  const source = () => loadExportArticles({ articleIds, layer: ctx.layer, types: ctx.filters.types });
  const iterator = exportBytes(format, ctx, source);
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        for (;;) {
          const { done, value } = await iterator.next();
          if (done) return controller.close();
          if (value.byteLength) return controller.enqueue(value);
        }
      } catch (error) {
        console.error("Export failed while streaming:", error);
        controller.error(error);
      }
    },
    async cancel() {
      await iterator.return(undefined);
    },
  });
  const fileName = exportFileName(ctx, format);
  return new Response(stream, {
    headers: {
      "content-type": formatFiles[format].contentType,
      "content-disposition": `attachment; filename="${fileName}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      "x-spanlight-article-count": String(articleIds.length),
    },
  });
}
