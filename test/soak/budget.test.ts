import { describe, expect, it } from "vitest";
import { ByteBudget } from "./budget.js";

describe("ByteBudget", () => {
  it("holds back takes that do not fit, in order, until bytes are given back", async () => {
    const budget = new ByteBudget(100);
    await budget.take(60);
    const order: string[] = [];
    const second = budget.take(50).then(() => order.push("50"));
    const third = budget.take(10).then(() => order.push("10"));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(order).toEqual([]);
    expect(budget.inUse).toBe(60);
    budget.give(60);
    await Promise.all([second, third]);
    expect(order).toEqual(["50", "10"]);
    expect(budget.inUse).toBe(60);
  });

  it("lets a take larger than the budget through once nothing else is held", async () => {
    const budget = new ByteBudget(10);
    await budget.take(5);
    let done = false;
    const big = budget.take(50).then(() => {
      done = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(done).toBe(false);
    budget.give(5);
    await big;
    expect(budget.inUse).toBe(50);
  });
});
