"use client";

import { useRouter } from "next/navigation";
import { callApi } from "@/lib/api-client";

export function SignOutButton() {
  const router = useRouter();
  return (
    <button
      type="button"
      className="link"
      onClick={async () => {
        await callApi("/api/auth/logout", { method: "POST" });
        router.replace("/sign-in");
        router.refresh();
      }}
    >
      Sign out
    </button>
  );
}
