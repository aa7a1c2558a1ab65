// jsdom extras for the console's tests: DOM matchers and a clean DOM between tests.
import "@testing-library/jest-dom/vitest"
