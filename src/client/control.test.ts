import { describe, expect, it } from "vitest";
import { anySignal, Control } from "./control.js";

describe("Control", () => {
  it("pause aborts request signals and holds the gate until resume", async () => {
    const control = new Control();
    const signal = control.requestSignal();
    control.pause();
    expect(signal.aborted).toBe(true);
    expect(control.signal.aborted).toBe(false);
    expect(control.epoch).toBe(1);
    let passed = false;
    const gate = control.gate().then(() => {
      passed = true;
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(passed).toBe(false);
    control.resume();
    await gate;
    expect(passed).toBe(true);
    expect(control.requestSignal().aborted).toBe(false);
  });

  it("abort wakes paused waiters with ABORTED and aborts every signal", async () => {
    const control = new Control();
    control.pause();
    const gate = control.gate();
    control.abort();
    await expect(gate).rejects.toMatchObject({ code: "ABORTED" });
    expect(control.signal.aborted).toBe(true);
    expect(control.requestSignal().aborted).toBe(true);
    control.pause();
    expect(control.paused).toBe(true);
  });

  it("anySignal follows whichever input aborts", () => {
    const a = new AbortController();
    const b = new AbortController();
    const any = anySignal([a.signal, b.signal]);
    expect(any.aborted).toBe(false);
    b.abort();
    expect(any.aborted).toBe(true);
  });
});
