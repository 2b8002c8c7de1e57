import { redirect } from "next/navigation";
import { getPageUser } from "@/lib/server/auth/current-user";

export default async function HomePage() {
  redirect((await getPageUser()) ? "/projects" : "/sign-in");
}
