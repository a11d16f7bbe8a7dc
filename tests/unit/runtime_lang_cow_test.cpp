#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "hallows/lang/cow.h"

using hallows::Cow;
using hallows::Shared;

TEST_CASE("Cow copies share until one of them writes", "[lang][cow]") {
  Cow<std::vector<int>> a(std::vector<int>{1, 2, 3});
  Cow<std::vector<int>> b = a;
  CHECK(a.shares_with(b));
  CHECK(a == b);
  b.mut().push_back(4);
  CHECK_FALSE(a.shares_with(b));
  CHECK(a.get() == std::vector<int>{1, 2, 3});
  CHECK(b.get() == std::vector<int>{1, 2, 3, 4});
  CHECK(a != b);
  CHECK(a < b);
}

TEST_CASE("Cow writes in place when it is the only owner", "[lang][cow]") {
  Cow<std::string> a(std::string("x"));
  const std::string* before = &a.get();
  a.mut() += "y";
  CHECK(&a.get() == before);
  CHECK(a.get() == "xy");
  {
    Cow<std::string> b = a;
    b.mut() += "z";
  }
  const std::string* still = &a.get();
  a.mut() += "!";
  CHECK(&a.get() == still);
  CHECK(a.get() == "xy!");
}

TEST_CASE("Cow compares by value and default-constructs", "[lang][cow]") {
  Cow<int> a(5);
  Cow<int> b(5);
  CHECK_FALSE(a.shares_with(b));
  CHECK(a == b);
  Cow<std::string> empty;
  CHECK(empty.get().empty());
}

TEST_CASE("Cow copies can be written from several threads", "[lang][cow]") {
  Cow<std::vector<int>> original(std::vector<int>(100, 1));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([copy = original, t]() mutable {
      for (int i = 0; i < 1000; ++i) copy.mut()[static_cast<std::size_t>(i % 100)] = t;
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(original.get() == std::vector<int>(100, 1));
}

TEST_CASE("Shared copies see one value", "[lang][cow]") {
  Shared<int> a(1);
  Shared<int> b = a;
  b.set(2);
  CHECK(a.get() == 2);
  CHECK(a == b);
  CHECK_FALSE(a == Shared<int>(2));
  int doubled = a.with([](int& v) { return v *= 2; });
  CHECK(doubled == 4);
  CHECK(b.get() == 4);
}

TEST_CASE("Shared serializes updates from threads", "[lang][cow]") {
  Shared<long> counter(0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([counter] {
      for (int i = 0; i < 10000; ++i) counter.with([](long& v) { ++v; });
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(counter.get() == 40000);
}
