# syntax=docker/dockerfile:1
# The web app's static build served by nginx, which also proxies the API's routes to its replicas.
# Build from the repository's top folder: docker build -f deploy/web.Dockerfile -t roadmap-web .
# Where the app calls the API is set when the container starts (API_ORIGIN), never built in.

FROM node:22-slim AS build
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
# config.js is served by nginx from API_ORIGIN (deploy/nginx/default.conf.template).
RUN npm run build && rm -f dist/config.js

FROM nginx:stable
# Read by the image's entrypoint at start: the check, then the template rendered into conf.d.
COPY deploy/nginx/15-roadmap-check-env.sh /docker-entrypoint.d/
COPY deploy/nginx/default.conf.template /etc/nginx/templates/
COPY --from=build /src/frontend/dist /usr/share/nginx/html
ENV API_ORIGIN="" API_UPSTREAM_1=api-1:8000 API_UPSTREAM_2=api-2:8000 \
    NGINX_PORT=80 WEB_ROOT=/usr/share/nginx/html
EXPOSE 80
