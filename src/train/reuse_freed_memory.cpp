#include "e3/train/reuse_freed_memory.h"

#include <malloc.h>

namespace e3::train {

void reuse_freed_memory() {
  // Blocks up to 256 MiB come from the heap (a layer's largest temporaries are tens of MiB),
  // and up to 1 GiB of free heap is kept rather than trimmed.
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  mallopt(M_TOP_PAD, 64 << 20);
}

}  // namespace e3::train
