# docask in a container: the binary is compiled in a Rust image, a content folder is
# built into a site while the image is built (broken content fails `docker build`,
# not the deployment), and a small Debian image runs `docask serve` as an
# unprivileged user on port 3000, with a health check on /healthz.
#
#   docker build -t my-docs .                        # the bundled content/
#   docker build --build-arg CONTENT=docs -t guide .  # any folder of the build context
#   docker run --rm -p 3000:3000 my-docs
#
# `docask serve` builds the content when it starts (it has no option to serve a
# finished folder as is), so the content is in the final image too; the build made
# here checks it and leaves a finished site for that start to replace in one step.

ARG RUST_VERSION=1.95
ARG DEBIAN_RELEASE=bookworm

# --- 1. compile ------------------------------------------------------------------
FROM rust:${RUST_VERSION}-${DEBIAN_RELEASE} AS compile
WORKDIR /src
# The manifest and what is compiled into the binary (templates, theme, thesaurus,
# word vectors); `benches/` because the manifest names its bench targets.
COPY Cargo.toml Cargo.lock ./
COPY .cargo .cargo
COPY benches benches
COPY data data
COPY static static
COPY templates templates
COPY src src
RUN cargo build --release --locked \
    && install -m 0755 target/release/docask /usr/local/bin/docask \
    && docask --version

# --- 2. build the site -----------------------------------------------------------
FROM compile AS site
# The content folder, relative to the build context.
ARG CONTENT=content
# Extra flags for `docask build`, such as `--strict` or `--base-url https://…`.
ARG BUILD_FLAGS=""
COPY ${CONTENT} /site/content
# BUILD_FLAGS is split into words on purpose.
# hadolint ignore=SC2086
RUN docask build --content /site/content --out /site/public ${BUILD_FLAGS}

# --- 3. run ----------------------------------------------------------------------
FROM debian:${DEBIAN_RELEASE}-slim
RUN useradd --system --uid 10001 --user-group --home-dir /site --no-create-home \
        --shell /usr/sbin/nologin docask
COPY --from=compile /usr/local/bin/docask /usr/local/bin/docask
# The server writes its start-up build next to the served folder: /site is its own.
COPY --from=site --chown=docask:docask /site /site
USER 10001:10001
WORKDIR /site
EXPOSE 3000
ENV RUST_LOG=info,tantivy=warn
# No HTTP client in the slim image: bash's /dev/tcp sends the request, and the check
# passes only on a `200` status line.
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/3000 && printf 'GET /healthz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
# docask serve drains the requests in flight on SIGTERM (for up to 5 s), then exits 0.
STOPSIGNAL SIGTERM
ENTRYPOINT ["docask"]
CMD ["serve", "--content", "/site/content", "--out", "/site/public", "--addr", "0.0.0.0:3000"]
