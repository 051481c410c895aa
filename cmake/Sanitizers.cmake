if(MEDVAULT_SANITIZE)
  # Applied to everything built in this tree so that containers crossing library
  # boundaries agree on their instrumentation.
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
