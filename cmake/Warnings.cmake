# Warnings are errors on medvault's own code. Third-party headers come in through
# imported targets, which CMake marks as system headers, so their warnings stay quiet.
function(medvault_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wimplicit-fallthrough
    -Wcast-qual -Wformat=2 -Wmissing-declarations -Werror)
endfunction()
