// OpenSSL reports failures through a thread-local error queue; this turns it into text
// for an Error message. Private to http/.
#pragma once

#include <string>

namespace medvault::http {

// The reason of the most recent OpenSSL error ("unknown OpenSSL error" when there is
// none), and an empty queue, so that a later, unrelated failure does not report it.
std::string TakeOpenSslError();

}  // namespace medvault::http
