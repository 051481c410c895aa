// The one translation unit that compiles Asio, Asio's SSL support and Beast
// (BOOST_ASIO_SEPARATE_COMPILATION / BOOST_BEAST_SEPARATE_COMPILATION, set for this
// module in CMakeLists.txt): the other Boost users in http/ only instantiate templates,
// which keeps a rebuild of server.cc from recompiling all of Asio.

// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>;
// GCC 12's standard headers no longer bring it in transitively.
#include <utility>
// (kept apart so that include sorting cannot move it below the Boost headers)

#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
