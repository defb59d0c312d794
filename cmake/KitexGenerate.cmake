# kitex_generate() — generates libkitex-actor C++ from Thrift IDL at build
# time and adds it to a target (docs/codegen.md):
#
#   kitex_generate(TARGET <target> IDL <file.thrift>
#                  [INCLUDE_DIRS <dir>...]   # -I search paths for includes
#                  [TYPE_ID_OFFSET <n>]      # first CAF type ID
#                  [OUTPUT_DIR <dir>])       # default: build tree
#
# For the IDL and every file it includes (found as kitex-actor finds them:
# next to the including file, then in INCLUDE_DIRS), <name>.kitex.hpp and
# <name>.kitex.cpp are generated into OUTPUT_DIR, which becomes a PUBLIC
# include directory of <target>; the .cpp files are added to its sources.
# The command re-runs when an IDL file or the kitex-actor executable changes.
#
# Each call gets its own range of CAF type IDs: TYPE_ID_OFFSET, or else the
# next free block of 1000 from 1000 on, so several IDLs live in one program.

set(KITEX_TYPE_ID_STRIDE 1000)

# Sets `out_var` to `idl` and the IDL files it includes, recursively.
function(_kitex_collect_idl idl include_dirs out_var)
  set(_todo ${idl})
  set(_done "")
  while(_todo)
    list(POP_FRONT _todo _file)
    if(_file IN_LIST _done)
      continue()
    endif()
    list(APPEND _done ${_file})
    file(STRINGS ${_file} _lines REGEX "^[ \t]*include[ \t]+[\"']")
    get_filename_component(_dir ${_file} DIRECTORY)
    foreach(_line IN LISTS _lines)
      string(REGEX REPLACE "^[ \t]*include[ \t]+[\"']([^\"']+)[\"'].*" "\\1"
                           _inc "${_line}")
      set(_found "")
      foreach(_d IN ITEMS ${_dir} ${include_dirs})
        if(NOT _found AND EXISTS ${_d}/${_inc})
          get_filename_component(_found ${_d}/${_inc} REALPATH)
        endif()
      endforeach()
      if(_found) # a missing include is reported by kitex-actor
        list(APPEND _todo ${_found})
      endif()
    endforeach()
  endwhile()
  set(${out_var} ${_done} PARENT_SCOPE)
endfunction()

# The kitex-actor executable (a target or a path, usable in COMMAND and
# DEPENDS): this build's, or the installed one.
function(_kitex_generator out_var)
  if(TARGET kitex-actor)
    set(${out_var} kitex-actor PARENT_SCOPE)
  elseif(TARGET KitexActor::kitex-actor)
    set(${out_var} $<TARGET_FILE:KitexActor::kitex-actor> PARENT_SCOPE)
  else()
    message(FATAL_ERROR "kitex_generate: no kitex-actor executable "
                        "(find_package(KitexActor) first)")
  endif()
endfunction()

# The TYPE_ID_OFFSET of a call that gives none: the next free block.
function(_kitex_next_type_id out_var)
  get_property(_next GLOBAL PROPERTY KITEX_NEXT_TYPE_ID)
  if(NOT _next)
    set(_next ${KITEX_TYPE_ID_STRIDE})
  endif()
  set(${out_var} ${_next} PARENT_SCOPE)
  math(EXPR _next "${_next} + ${KITEX_TYPE_ID_STRIDE}")
  set_property(GLOBAL PROPERTY KITEX_NEXT_TYPE_ID ${_next})
endfunction()

function(kitex_generate)
  cmake_parse_arguments(PARSE_ARGV 0 KG "" "TARGET;IDL;TYPE_ID_OFFSET;OUTPUT_DIR"
                        "INCLUDE_DIRS")
  if(NOT KG_TARGET OR NOT KG_IDL)
    message(FATAL_ERROR "kitex_generate: TARGET and IDL are required")
  endif()
  get_filename_component(_idl ${KG_IDL} REALPATH)
  if(NOT EXISTS ${_idl})
    message(FATAL_ERROR "kitex_generate: ${KG_IDL} does not exist")
  endif()
  set(_include_dirs "")
  set(_include_args "")
  foreach(_d IN LISTS KG_INCLUDE_DIRS)
    get_filename_component(_d ${_d} ABSOLUTE)
    list(APPEND _include_dirs ${_d})
    list(APPEND _include_args -I ${_d})
  endforeach()
  if(NOT KG_OUTPUT_DIR)
    set(KG_OUTPUT_DIR ${CMAKE_CURRENT_BINARY_DIR}/kitex_gen/${KG_TARGET})
  endif()
  if(DEFINED KG_TYPE_ID_OFFSET)
    set(_offset ${KG_TYPE_ID_OFFSET})
    set(_limit_args "")
  else()
    _kitex_next_type_id(_offset)
    math(EXPR _limit "${_offset} + ${KITEX_TYPE_ID_STRIDE}")
    set(_limit_args --type-id-limit ${_limit})
  endif()

  _kitex_collect_idl(${_idl} "${_include_dirs}" _files)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_files})
  set(_outputs "")
  set(_sources "")
  foreach(_f IN LISTS _files)
    get_filename_component(_stem ${_f} NAME_WE)
    list(APPEND _outputs ${KG_OUTPUT_DIR}/${_stem}.kitex.hpp
                         ${KG_OUTPUT_DIR}/${_stem}.kitex.cpp)
    list(APPEND _sources ${KG_OUTPUT_DIR}/${_stem}.kitex.cpp)
  endforeach()

  _kitex_generator(_gen)
  get_filename_component(_idl_name ${_idl} NAME)
  add_custom_command(
    OUTPUT ${_outputs}
    COMMAND ${_gen} ${_include_args} -o ${KG_OUTPUT_DIR}
            --type-id-offset ${_offset} ${_limit_args} ${_idl}
    DEPENDS ${_files} ${_gen}
    COMMENT "kitex-actor ${_idl_name} (CAF type IDs from ${_offset})"
    VERBATIM)
  target_sources(${KG_TARGET} PRIVATE ${_sources})
  target_include_directories(${KG_TARGET} PUBLIC ${KG_OUTPUT_DIR})
endfunction()
