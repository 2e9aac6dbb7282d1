// The cell table: the one place that maps a CellType to its implementation.
#include "model/cells.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "model/cells/gru.h"
#include "model/cells/lstm.h"
#include "model/cells/rnn.h"
#include "errors.h"
#include "numerics/matmul.h"

namespace charrnn {

namespace {
// Indexed by CellType.
const Cell* const kCells[] = {&cells::kRnn, &cells::kLstm, &cells::kGru};
constexpr int kCellCount = sizeof kCells / sizeof kCells[0];
}  // namespace

const Cell& cell_of(CellType type) {
  const int i = static_cast<int>(type);
  if (i < 0 || i >= kCellCount) throw Error(std::string("Unknown cell type: use ") + cell_names() + ".");
  return *kCells[i];
}

const Cell* find_cell(const char* name) {
  for (const Cell* c : kCells)
    if (std::strcmp(c->name, name) == 0) return c;
  return nullptr;
}

const char* cell_names() {
  // "rnn, lstm or gru", from the table.
  static const std::string names = [] {
    std::string out;
    for (int i = 0; i < kCellCount; i++) out += std::string(i == 0 ? "" : i + 1 < kCellCount ? ", " : " or ") + kCells[i]->name;
    return out;
  }();
  return names.c_str();
}

size_t recurrent_pack_floats(const Cell& cell, int H, int B) {
  const int GH = cell.gates * H;
  // Forward packs wh [H, GH] for h @ wh; backward packs it again for dgates @ wh^T.
  return std::max(prepared_b_floats(H, GH, B), prepared_b_floats(GH, H, B));
}

}  // namespace charrnn
