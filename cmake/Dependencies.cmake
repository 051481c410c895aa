# Every library here comes from Debian 12 packages installed by scripts/setup.sh.
find_package(PkgConfig REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
find_package(simdjson REQUIRED)
find_package(RapidJSON REQUIRED)  # header-only, in /usr/include; no imported target
# Also in the fuzz build: Beast's parser (http), SHA-256 (audit), HOTP (identity).
find_package(OpenSSL 3 REQUIRED)
find_package(Boost 1.74 REQUIRED)
pkg_check_modules(OATH REQUIRED IMPORTED_TARGET liboath)

if(NOT MEDVAULT_FUZZ)
  find_package(SQLite3 REQUIRED)
  # PostgreSQL's client library: the second store engine (src/store/postgres).
  pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
  find_package(Threads REQUIRED)
  find_package(CLI11 REQUIRED)
  find_package(fmt REQUIRED)
  find_package(spdlog REQUIRED)
  find_package(tomlplusplus REQUIRED)
  # Identity: TOTP (RFC 6238, liboath above), enrolment QR codes, password strength.
  pkg_check_modules(QRENCODE REQUIRED IMPORTED_TARGET libqrencode)
  find_library(ZXCVBN_LIBRARY zxcvbn REQUIRED)  # libzxcvbn-dev ships no pkg-config file
  find_path(ZXCVBN_INCLUDE_DIR zxcvbn.h REQUIRED)
  add_library(zxcvbn::zxcvbn UNKNOWN IMPORTED)
  set_target_properties(zxcvbn::zxcvbn PROPERTIES IMPORTED_LOCATION ${ZXCVBN_LIBRARY}
                        INTERFACE_INCLUDE_DIRECTORIES ${ZXCVBN_INCLUDE_DIR})
  # libcurl: the breach drill's HTTPS transport (medvault drill --transport https), and
  # the tests' client.
  find_package(CURL REQUIRED)
  if(MEDVAULT_JEMALLOC)
    pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)
  endif()
  if(MEDVAULT_TESTS)
    find_package(GTest REQUIRED)
  endif()
  if(MEDVAULT_BENCH)
    find_package(benchmark REQUIRED)
  endif()
endif()

# medvault_module(name SOURCES... DEPENDS...) builds src/<name> as a static library
# whose public include root is src/, so includes read "crypto/keyring.h".
function(medvault_module name)
  cmake_parse_arguments(ARG "" "" "DEPENDS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cc
       ${CMAKE_CURRENT_SOURCE_DIR}/*/*.cc)
  add_library(medvault_${name} STATIC ${sources})
  target_include_directories(medvault_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(medvault_${name} PUBLIC ${ARG_DEPENDS})
  medvault_warnings(medvault_${name})
endfunction()
