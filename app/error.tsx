"use client";

export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  return (
    <main>
      <h1>Something went wrong</h1>
      <p role="alert">The page could not be shown. Nothing you saved was changed.</p>
      <button type="button" onClick={reset}>
        Try again
      </button>
    </main>
  );
}
