#include "output_file.h"

#include <cerrno>
#include <cstring>
#include <sys/stat.h>

#include <fmt/format.h>

namespace aimc::platform {

OutputFile::OutputFile(std::string option, std::string path) : option_(std::move(option)), path_(std::move(path)) {
    if (path_.empty()) throw OutputError(fmt::format("{}: the file name is empty", option_));
    struct stat st {};
    const bool special = ::stat(path_.c_str(), &st) == 0 && !S_ISREG(st.st_mode);
    if (special && S_ISDIR(st.st_mode)) throw OutputError(fmt::format("{}: '{}' is a directory", option_, path_));
    writing_ = special ? path_ : path_ + ".tmp";
    file_ = std::fopen(writing_.c_str(), "w");
    if (!file_) fail("write", writing_, errno);
}

OutputFile::~OutputFile() {
    if (!file_) return;
    std::fclose(file_);
    if (writing_ != path_) std::remove(writing_.c_str());
}

void OutputFile::fail(const char* what, const std::string& file, int err) {
    throw OutputError(fmt::format("{}: cannot {} '{}': {}", option_, what, file, std::strerror(err)));
}

void OutputFile::write(const std::string& text) {
    if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) fail("write", writing_, errno);
}

void OutputFile::commit() {
    if (!file_) return;
    const bool bad = std::ferror(file_) != 0;
    const int flushed = std::fflush(file_);
    const int err = errno;
    const int closed = std::fclose(file_);
    const int close_err = errno;
    file_ = nullptr;
    if (bad || flushed != 0 || closed != 0) {
        if (writing_ != path_) std::remove(writing_.c_str());
        fail("write", writing_, flushed != 0 ? err : closed != 0 ? close_err : EIO);
    }
    if (writing_ != path_ && std::rename(writing_.c_str(), path_.c_str()) != 0) {
        const int e = errno;
        std::remove(writing_.c_str());
        fail("rename the complete output to", path_, e);
    }
}

}  // namespace aimc::platform
