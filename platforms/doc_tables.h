// Tables in docs/ that are generated from the code, so they cannot drift from it.
//
// A markdown file marks a generated table with
//   <!-- generated: regmap <block> -->  ...  <!-- end generated -->
//   <!-- generated: params <group> -->  ...  <!-- end generated -->
//   <!-- generated: csrs rv32 -->  ...  <!-- end generated -->
// and `aimc-docgen --update docs` rewrites what lies between; a test runs the check.
#pragma once

#include <string>
#include <vector>

namespace aimc::platform {

// The table for one marker kind and argument ("regmap", "uart16550"); throws on unknown ones.
std::string generated_table(const std::string& kind, const std::string& arg);

// The CSR table of a core ("rv32": models/host/rv32_csr_table.h); throws on unknown cores.
std::string csr_table_markdown(const std::string& core);

// Rewrites the generated sections of `text`; `origin` names the file in errors.
std::string regenerate(const std::string& text, const std::string& origin);

// Markdown files under `dir` whose generated sections are stale (or, with update, rewritten).
std::vector<std::string> stale_docs(const std::string& dir, bool update);

}  // namespace aimc::platform
