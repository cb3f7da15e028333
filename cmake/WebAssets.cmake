# The dashboard: web/ is bundled with esbuild (uPlot and clients/js included) into
# ${CMAKE_BINARY_DIR}/web/, and those files are compiled into the binary as
# generated/web_assets.cpp. npm installs web/node_modules from the committed
# package-lock.json when it is missing or older than the lock.
find_program(ARRAYCAST_NPM npm REQUIRED)

set(web_source_dir ${CMAKE_SOURCE_DIR}/web)
set(web_bundle_dir ${CMAKE_BINARY_DIR}/web)
set(web_installed ${web_source_dir}/node_modules/.package-lock.json)
set(web_files index.html dashboard.js style.css)
set(web_bundle ${web_bundle_dir}/index.html ${web_bundle_dir}/dashboard.js ${web_bundle_dir}/style.css)
set(ARRAYCAST_WEB_ASSETS_CPP ${CMAKE_BINARY_DIR}/generated/web_assets.cpp)
file(GLOB web_sources CONFIGURE_DEPENDS ${web_source_dir}/*.js ${web_source_dir}/*.css ${web_source_dir}/*.html)
# The page imports the JavaScript client module; esbuild bundles it in.
file(GLOB web_client_sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/clients/js/*.js)

add_custom_command(
  OUTPUT ${web_installed}
  COMMAND ${ARRAYCAST_NPM} ci --no-audit --no-fund
  DEPENDS ${web_source_dir}/package.json ${web_source_dir}/package-lock.json
  WORKING_DIRECTORY ${web_source_dir}
  COMMENT "npm ci in web/"
  VERBATIM)

add_custom_command(
  OUTPUT ${web_bundle}
  COMMAND ${web_source_dir}/node_modules/.bin/esbuild dashboard.js style.css
          --bundle --minify --target=es2020 --log-level=warning --outdir=${web_bundle_dir}
  COMMAND ${CMAKE_COMMAND} -E copy ${web_source_dir}/index.html ${web_bundle_dir}/index.html
  DEPENDS ${web_installed} ${web_sources} ${web_client_sources}
  WORKING_DIRECTORY ${web_source_dir}
  COMMENT "Bundling the dashboard with esbuild"
  VERBATIM)

string(REPLACE ";" "," web_names "${web_files}")
add_custom_command(
  OUTPUT ${ARRAYCAST_WEB_ASSETS_CPP}
  COMMAND ${CMAKE_COMMAND} -DINPUT_DIR=${web_bundle_dir} -DNAMES=${web_names}
          -DOUTPUT=${ARRAYCAST_WEB_ASSETS_CPP} -P ${CMAKE_SOURCE_DIR}/cmake/EmbedFiles.cmake
  DEPENDS ${web_bundle} ${CMAKE_SOURCE_DIR}/cmake/EmbedFiles.cmake
  COMMENT "Embedding the dashboard into the binary"
  VERBATIM)
