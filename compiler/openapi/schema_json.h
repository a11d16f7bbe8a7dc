// The JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) of the language's types, written
// to match what the runtime's JSON encoder writes (hallows/lang/json_write.h and the generated
// write_json) and what its strict decoder accepts (json_read.h and the generated read_json):
// every field is written, an empty optional as null; unknown fields are refused; fields without
// a default that are not optionals, lists or maps are required; `validate` rules become the
// matching keywords. docs/openapi.md has the whole table.
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "openapi/json.h"
#include "sema/types.h"
#include "syntax/ast.h"

namespace pt {

class SchemaSet {
 public:
  // `roots` are the types the routes read and answer: every schema and enum they reach (through
  // fields, lists, maps and optionals) becomes a component. A component is named after its
  // declaration, or `module.Name` when two reachable declarations (or a name in `reserved`)
  // share the name.
  SchemaSet(const std::vector<const Type*>& roots, const std::set<std::string>& reserved);

  // The schema of a value of type `t` where it is used: scalars, lists and maps inline, schemas
  // and enums as a $ref to their component.
  [[nodiscard]] Json use(const Type* t) const;

  // The components.schemas entries, sorted by name.
  [[nodiscard]] std::vector<std::pair<std::string, Json>> components() const;

 private:
  void collect(const Type* t);
  [[nodiscard]] Json component(const Decl& d) const;
  [[nodiscard]] Json field(const FieldDecl& f) const;

  std::vector<const Decl*> decls_;  // discovery order
  std::map<const Decl*, std::string> names_;
};

// The JSON of a literal (a field's default, a query default, a rule's argument): 100, -1.5,
// "new", true, an enum member's name, a duration in nanoseconds, null for `none`, [] and {}.
// False for anything else.
bool literal_json(const Expr& e, Json& out);

// `schema` that also accepts null: `"type": [T, "null"]` (null added to an `enum`), or
// `anyOf` with {"type": "null"} around a $ref.
Json nullable(Json schema);

}  // namespace pt
