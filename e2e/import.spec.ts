import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { signInByApi } from "./helpers";

test("the reviewer imports an HTML page, a JSONL file and a bad file at once; good files import, the bad one is listed", async ({ page }) => {
  await signInByApi(page, "reviewer@demo.spanlight");
  await page.goto("/projects");
  await page.getByRole("link", { name: "Hollande–Putin talks on Syria" }).click();
  await page.getByRole("link", { name: "Add article" }).click();

  const html = fs.readFileSync(path.resolve("tests/fixtures/import/dw-hollande-putin.html"));
  const jsonl = ['{"title": "First wire", "text": "Putin met Hollande.\\nThey talked."}', '{"title": "Second wire", "text": "Lavrov spoke."}'].join("\n");
  await page.getByLabel(/Or import files/).setInputFiles([
    { name: "dw.html", mimeType: "text/html", buffer: html },
    { name: "wires.jsonl", mimeType: "application/jsonl", buffer: Buffer.from(jsonl) },
    { name: "scan.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4") },
  ]);
  await page.getByRole("button", { name: "Import", exact: true }).click();

  const imported = page.getByRole("region", { name: "Imported articles" });
  await expect(imported).toContainText("Imported 3 articles");
  await expect(imported.getByRole("link", { name: "First wire" })).toBeVisible();
  await expect(imported.getByRole("link", { name: "Second wire" })).toBeVisible();
  await expect(page.getByRole("alert", { name: "Refused files" })).toContainText("scan.pdf");

  await imported.getByRole("link").first().click();
  // Playwright gives <html> the role "document" too, so the reader is found by its name.
  const reader = page.getByRole("document", { name: /^Text of / });
  await expect(reader).toContainText("Hollande");
  await expect(reader).not.toContainText("<script");
});
