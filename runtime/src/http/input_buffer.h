// A connection's unconsumed input: bytes [begin, end) of one heap block. It grows (doubling) to
// fit a request, up to a cap the limits give, and gives a large block back once it is empty.
// Requests are consumed from the front; compact() moves a partial request to the front so the
// parser, whose positions are relative to the request's first byte, can go on (it re-bases its
// views when the block moves).
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>

namespace hallows::http::detail {

class InputBuffer {
 public:
  static constexpr std::size_t kInitial = 4096;
  static constexpr std::size_t kKeepIdle = 64 * 1024;  // larger blocks are freed when empty

  std::string_view data() const noexcept { return {block_.get() + begin_, end_ - begin_}; }
  bool empty() const noexcept { return begin_ == end_; }
  std::size_t size() const noexcept { return end_ - begin_; }

  void consume(std::size_t n) noexcept {
    begin_ += n;
    if (begin_ == end_) begin_ = end_ = 0;
  }

  // Makes at least `min_room` bytes (or what `cap` allows) free after the data: compacts, then
  // grows. False when the data already fills `cap`.
  bool make_room(std::size_t min_room, std::size_t cap) {
    if (capacity_ - end_ >= min_room) return true;
    if (begin_ > 0) {
      std::memmove(block_.get(), block_.get() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
      if (capacity_ - end_ >= min_room) return true;
    }
    if (capacity_ >= cap) return end_ < capacity_;
    std::size_t grown = capacity_ == 0 ? kInitial : capacity_ * 2;
    while (grown - end_ < min_room) grown *= 2;
    if (grown > cap) grown = cap;
    auto block = std::make_unique_for_overwrite<char[]>(grown);
    if (end_ > 0) std::memcpy(block.get(), block_.get(), end_);
    block_ = std::move(block);
    capacity_ = grown;
    return end_ < capacity_;
  }

  char* tail() noexcept { return block_.get() + end_; }
  std::size_t room() const noexcept { return capacity_ - end_; }
  void commit(std::size_t n) noexcept { end_ += n; }

  // Drops the data; a large block goes back to the allocator.
  void clear() noexcept {
    begin_ = end_ = 0;
    if (capacity_ > kKeepIdle) release();
  }
  void shrink_if_idle() noexcept {
    if (begin_ == end_ && capacity_ > kKeepIdle) release();
  }

 private:
  void release() noexcept {
    block_.reset();
    capacity_ = 0;
  }

  std::unique_ptr<char[]> block_;
  std::size_t capacity_ = 0;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
};

}  // namespace hallows::http::detail
