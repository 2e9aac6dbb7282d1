// A fixed set of worker threads that runs the trainer's shards (core/training/trainer.h's ParallelFor):
// for_each(n, body) runs body(0..n-1) spread over the threads and the calling thread, and returns
// when all are done. The core stays free of threads; this is the CLI's policy.
#pragma once
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace charrnn_cli {

class ThreadPool {
 public:
  explicit ThreadPool(int threads);  // threads - 1 workers: the caller is one of the threads
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  void for_each(int count, const std::function<void(int)>& body);
  int threads() const { return static_cast<int>(workers_.size()) + 1; }

 private:
  void work();
  void run_items();

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void(int)>* body_ = nullptr;
  int count_ = 0, next_ = 0, finished_ = 0;
  unsigned generation_ = 0;
  bool stopping_ = false;
};

// All of the machine's cores (at least 1).
int hardware_threads();

}  // namespace charrnn_cli
