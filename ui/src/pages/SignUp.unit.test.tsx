// Sign-up in jsdom against a stand-in API: the edge's refusals land under the field they are about.
import { createMemoryHistory, MemoryRouter, Route } from "@solidjs/router"
import { fireEvent, render, screen } from "@solidjs/testing-library"
import { describe, expect, it } from "vitest"
import { type App, AppProvider } from "../app/context.tsx"
import { ApiError, type Problem } from "../api/problem.ts"
import SignUp, { signUpErrors } from "./SignUp.tsx"

const weakPassword: Problem = {
  type: "https://admin-kiosk.dev/problems/weak-password", title: "Unprocessable Content", status: 422,
  detail: "password: too easy to guess. This is similar to a commonly used password. Add more words that are less common.",
  errors: [{ path: "/password", message: "password: too easy to guess. This is similar to a commonly used password. Add more words that are less common." }],
}

describe("sign-up refusals", () => {
  it("put the estimator's advice under the password, after the console's own words", () => {
    expect(signUpErrors(new ApiError(weakPassword))).toEqual({
      password: "This password is too easy to guess. This is similar to a commonly used password. Add more words that are less common.",
    })
  })

  it("put schema errors under their fields, a taken name under the username, and the rest above the form", () => {
    const schema = new ApiError({
      type: "https://admin-kiosk.dev/problems/validation", title: "Bad Request", status: 400,
      errors: [{ path: "/password", message: "must NOT have fewer than 10 characters" }, { path: "/contact/displayName", message: "too long" }],
    })
    expect(signUpErrors(schema)).toEqual({ username: undefined, displayName: "too long", password: "must NOT have fewer than 10 characters" })
    expect(signUpErrors(new ApiError({ type: "x", title: "Conflict", status: 409, detail: 'username "ana" is taken' }))).toEqual({ username: "That username is taken." })
    expect(signUpErrors(new ApiError({ type: "x", title: "Forbidden", status: 403 })).notice).toMatch(/turned off/)
    expect(signUpErrors(new ApiError({ type: "x", title: "Too Many Requests", status: 429 })).notice).toMatch(/Too many/)
    const down = new Error("offline")
    expect(signUpErrors(down)).toEqual({ form: down })
  })
})

describe("SignUp page", () => {
  it("shows a weak-password refusal under the password field, then signs up with a better one", async () => {
    const calls: Array<unknown> = []
    const register = async (account: unknown) => {
      calls.push(account)
      if (calls.length === 1) throw new ApiError(weakPassword)
      return { token: "t", refreshToken: "r", user: { id: "usr_1", username: "ana", role: "operator" } }
    }
    const app = { api: { auth: { register } } } as unknown as App
    const history = createMemoryHistory()
    history.set({ value: "/signup", replace: true })
    render(() => (
      <AppProvider app={app}>
        <MemoryRouter history={history}>
          <Route path="/signup" component={SignUp} />
          <Route path="/" component={() => <p>signed in</p>} />
        </MemoryRouter>
      </AppProvider>
    ))

    fireEvent.input(await screen.findByLabelText("Username"), { target: { value: " ana " } })
    fireEvent.input(screen.getByLabelText("Your name (optional)"), { target: { value: "Ana García" } })
    const password = screen.getByLabelText("Password")
    fireEvent.input(password, { target: { value: "password1234" } })
    fireEvent.click(screen.getByRole("button", { name: "Create account" }))

    expect(await screen.findByText(/This password is too easy to guess\. This is similar to a commonly used password\./)).toBeInTheDocument()
    expect(password).toHaveAttribute("aria-invalid", "true")
    expect(password.getAttribute("aria-describedby")).toMatch(/error/)

    fireEvent.input(password, { target: { value: "ventana lluvia tranvía" } })
    fireEvent.click(screen.getByRole("button", { name: "Create account" }))
    expect(await screen.findByText("signed in")).toBeInTheDocument()
    expect(calls).toEqual([
      { username: "ana", password: "password1234", displayName: "Ana García" },
      { username: "ana", password: "ventana lluvia tranvía", displayName: "Ana García" },
    ])
  })
})
