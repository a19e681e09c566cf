/**
 * The web console: static HTML, JavaScript and CSS served at {@code /} without credentials (they hold
 * no data; the page calls the API with the key its user types). Imports nothing of the service.
 */
package dev.aligntok.stream.service.console;
