// The main() of the *_fuzz_replay programs: each file named on the command line goes through the
// fuzz target's LLVMFuzzerTestOneInput, so ctest replays the corpus in every build (gcc, ASan)
// and a fixed crash stays fixed. A crash fails the test; an unreadable file exits 2.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "%s: cannot read %s\n", argv[0], argv[i]);
      return 2;
    }
    std::ostringstream s;
    s << in.rdbuf();
    std::string bytes = s.str();
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  }
  std::printf("%s: %d inputs replayed\n", argv[0], argc - 1);
  return 0;
}
