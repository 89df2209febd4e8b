import { test } from "node:test";
import assert from "node:assert/strict";
import { materialLine, insertAt } from "../../Sources/Kohtaamo/Resources/static/materialpick.js";

test("a material is its title and link", () => {
  assert.equal(materialLine({ title: "Selkoopas", url: "https://k.example/materials/1" }), "Selkoopas: https://k.example/materials/1");
});

test("the line goes in at the cursor, apart from the words around it", () => {
  assert.deepEqual(insertAt("", 0, 0, "A: /m"), { value: "A: /m", caret: 5 });
  assert.deepEqual(insertAt("Katso tämä", 5, 5, "A: /m"), { value: "Katso A: /m tämä", caret: 11 });
  assert.deepEqual(insertAt("Katso\n", 6, 6, "A: /m"), { value: "Katso\nA: /m", caret: 11 });
  // A selection is replaced.
  assert.deepEqual(insertAt("Katso XX.", 6, 8, "A: /m"), { value: "Katso A: /m.", caret: 11 });
});
