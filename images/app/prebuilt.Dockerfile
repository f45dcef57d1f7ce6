# wireroom/app from this machine's already-built tree instead of a build inside Docker: the same
# runtime stage as images/app/Dockerfile, with node_modules, .next (next build) and dist
# (npm run build:worker) copied from the working tree. For CI's compose test, where building
# everything again inside Docker would double the suite's time; images/build.sh app-prebuilt
# streams the context (the files below, not .dockerignore's).
ARG RUNTIME=wireroom/app-runtime:latest
FROM ${RUNTIME}
COPY . /app/
