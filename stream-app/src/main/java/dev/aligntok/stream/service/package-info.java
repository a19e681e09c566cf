/**
 * The Micronaut service's entry point ({@link dev.aligntok.stream.service.AlignTokService}); the service
 * packages below it sit above every pipeline package.
 */
package dev.aligntok.stream.service;
