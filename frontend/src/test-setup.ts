import { cleanup } from "@testing-library/svelte";
import { afterEach } from "vitest";

// Each test starts with an empty document.
afterEach(cleanup);

// jsdom lays nothing out and has no ResizeObserver: one that never reports, so a component measuring its
// box (bind:clientWidth, TableScroll) keeps the size it starts with.
globalThis.ResizeObserver ??= class {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
};
