// The demo project's articles: the five sample articles as scraped (page chrome, a radio transcript, curly
// quotes and all). The text of each is the whole file, made canonical; title and source are given here.

export const demoProjectName = "Hollande–Putin talks on Syria";
export const demoProjectDescription =
  "Five news reports of the November 2015 Hollande–Putin meeting, with two annotators' entity and stance tags to review.";
export const demoPassword = "spanlight-demo";

export const demoUsers = [
  { key: "reviewer", email: "reviewer@demo.spanlight", name: "Rita Reviewer", role: "owner" },
  { key: "ana", email: "ana@demo.spanlight", name: "Ana Annotator", role: "annotator" },
  { key: "ben", email: "ben@demo.spanlight", name: "Ben Annotator", role: "annotator" },
] as const;

export const demoArticles = [
  { file: "000_7de9c0575fd076df.txt", title: "Hollande Says He’s Narrowed Differences With Putin Over Syria", source: "Bloomberg" },
  { file: "001_827c82f7789f8256.txt", title: "Between France And Russia, Presidents Seek Common Ground In Syria", source: "NPR (via WOSU Public Media)" },
  { file: "002_8ef1efffa7938197.txt", title: "Moscow and Paris agree to share intelligence on Syria", source: "Deutsche Welle" },
  { file: "003_f52bfe66f0f2701d.txt", title: "Putin, Hollande agree to coordinate on IS fight but divisions remain", source: "AFP" },
  { file: "004_7c712b99317380a5.txt", title: "France, Russia discuss Syria, sidestep differences on chemical weapons", source: "Ammar Johmani Magazine (repost)" },
] as const;

/** How far each annotator has got, per article file. */
export const demoStatuses: Record<string, { ana: "IN_PROGRESS" | "FINISHED"; ben: "IN_PROGRESS" | "FINISHED" }> = {
  "000_7de9c0575fd076df.txt": { ana: "FINISHED", ben: "FINISHED" },
  "001_827c82f7789f8256.txt": { ana: "FINISHED", ben: "IN_PROGRESS" },
  "002_8ef1efffa7938197.txt": { ana: "FINISHED", ben: "FINISHED" },
  "003_f52bfe66f0f2701d.txt": { ana: "IN_PROGRESS", ben: "FINISHED" },
  "004_7c712b99317380a5.txt": { ana: "FINISHED", ben: "IN_PROGRESS" },
};
