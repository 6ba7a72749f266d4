/** Style sheets the bundler (esbuild) takes in as main.css. */
declare module "*.css";
