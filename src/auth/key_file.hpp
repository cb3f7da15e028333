#pragma once

#include <string>

namespace arraycast::auth {

// A file's whole content. Throws std::runtime_error naming the path and
// `what` ("token file") when it cannot be read.
std::string read_text_file(const std::string& path, const char* what);

// A key file's whole content: read_text_file, and an empty file is an error too.
std::string read_key_file(const std::string& path, const char* what);

// A shared JWT secret: the file's content without trailing line ends (a
// secret written with `echo` has one its signer did not use). Throws like
// read_key_file. The server and `arraycast token` both read it so.
std::string read_jwt_secret(const std::string& path);

}  // namespace arraycast::auth
