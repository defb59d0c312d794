# cmake --install: the KitexActor package. Installs the library, its public
# headers, the kitex-actor generator, and a package config that
# find_package(KitexActor) loads: it finds CAF (with the shipped
# FindCAF.cmake), spdlog and Threads, defines KitexActor::kitex_actor and
# KitexActor::kitex-actor, and includes KitexGenerate.cmake so that
# kitex_generate() works in the consuming project.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(KITEX_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/KitexActor)

install(TARGETS kitex_actor kitex_asio
        EXPORT KitexActorTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS kitex-actor
        EXPORT KitexActorTargets
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/libkitex-actor/include/kitex
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT KitexActorTargets
        NAMESPACE KitexActor::
        DESTINATION ${KITEX_INSTALL_CMAKEDIR})

configure_package_config_file(
  ${PROJECT_SOURCE_DIR}/cmake/KitexActorConfig.cmake.in
  ${PROJECT_BINARY_DIR}/KitexActorConfig.cmake
  INSTALL_DESTINATION ${KITEX_INSTALL_CMAKEDIR})
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/KitexActorConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/KitexActorConfig.cmake
              ${PROJECT_BINARY_DIR}/KitexActorConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/FindCAF.cmake
              ${PROJECT_SOURCE_DIR}/cmake/KitexGenerate.cmake
        DESTINATION ${KITEX_INSTALL_CMAKEDIR})
