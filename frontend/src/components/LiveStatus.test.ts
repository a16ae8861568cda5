import { render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";

import LiveStatus from "./LiveStatus.svelte";

const later = <T,>() => {
  let resolve!: (value: T) => void;
  return { promise: new Promise<T>((r) => (resolve = r)), resolve };
};
const words = (n: number) => `${n} found.`;

describe("LiveStatus", () => {
  it("speaks once the answer is in, keeps its last words meanwhile, and repeats itself audibly", async () => {
    const first = later<number>();
    const view = render(LiveStatus<number>, { result: first.promise, words });
    const region = screen.getByRole("status");
    expect(region.getAttribute("aria-live")).toBe("polite");
    expect(region.textContent).toBe("");
    first.resolve(3);
    await expect.poll(() => region.textContent).toBe("3 found.");

    const second = later<number>();
    await view.rerender({ result: second.promise, words });
    expect(region.textContent).toBe("3 found."); // not blanked while loading
    second.resolve(3);
    // The same count for a new filter: the text still changes, so it is read out again.
    await expect.poll(() => region.textContent).toBe("3 found.\u00a0");

    await view.rerender({ result: Promise.reject(new Error("down")), words });
    await expect.poll(() => region.textContent).toBe(""); // the view's own alert says what failed
  });

  it("drops an answer that a newer search has overtaken", async () => {
    const slow = later<number>();
    const view = render(LiveStatus<number>, { result: slow.promise, words });
    await view.rerender({ result: Promise.resolve(7), words });
    slow.resolve(1);
    await expect.poll(() => screen.getByRole("status").textContent).toBe("7 found.");
    await slow.promise;
    expect(screen.getByRole("status").textContent).toBe("7 found.");
  });
});
